// Passkeys (WebAuthn) on Doorman's pages: the only script Doorman serves. Same-origin, no inline code, no dependencies.
// It asks the server for options, hands them to navigator.credentials, and posts the answer back as JSON.
(function () {
  'use strict';

  function toBuffer(b64url) {
    var b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
    b64 += '===='.slice(0, (4 - b64.length % 4) % 4);
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = '';
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function csrfToken() {
    var field = document.getElementById('passkey-csrf') || document.querySelector('input[name="csrf"]');
    return field ? field.value : null;
  }

  function post(path, body) {
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    var token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
    return fetch(path, { method: 'POST', headers: headers, body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          if (!response.ok) throw new Error(json.detail || 'The request failed (' + response.status + ').');
          return json;
        });
      });
  }

  function showError(error) {
    var box = document.getElementById('passkey-error');
    if (!box) return;
    box.textContent = error && error.name === 'NotAllowedError' ? 'The passkey request was cancelled or timed out.' : (error.message || String(error));
    box.hidden = false;
  }

  function credentialDescriptors(list) {
    return (list || []).map(function (c) { return { type: c.type, id: toBuffer(c.id), transports: c.transports }; });
  }

  function register() {
    var name = document.getElementById('passkey-name').value;
    var passwordless = document.getElementById('passkey-passwordless').checked;
    post('/api/v1/passkeys/options', { purpose: 'register' }).then(function (options) {
      options.challenge = toBuffer(options.challenge);
      options.user.id = toBuffer(options.user.id);
      options.excludeCredentials = credentialDescriptors(options.excludeCredentials);
      return navigator.credentials.create({ publicKey: options });
    }).then(function (credential) {
      var response = credential.response;
      return post('/api/v1/passkeys/register', {
        name: name,
        passwordless: passwordless,
        credential: {
          id: credential.id,
          rawId: toB64url(credential.rawId),
          type: credential.type,
          response: {
            clientDataJSON: toB64url(response.clientDataJSON),
            attestationObject: toB64url(response.attestationObject),
            transports: response.getTransports ? response.getTransports() : []
          },
          clientExtensionResults: credential.getClientExtensionResults(),
          authenticatorAttachment: credential.authenticatorAttachment || undefined
        }
      });
    }).then(function (result) {
      if (result.recoveryCodes && result.recoveryCodes.length) {
        var list = document.createElement('ul');
        list.className = 'recovery-codes';
        result.recoveryCodes.forEach(function (code) {
          var item = document.createElement('li');
          var text = document.createElement('code');
          text.textContent = code;
          item.appendChild(text);
          list.appendChild(item);
        });
        var note = document.createElement('p');
        note.textContent = 'Your recovery codes, shown only now. Keep them somewhere safe; each works once.';
        var next = document.createElement('a');
        next.href = '/account/mfa?done=passkey';
        next.textContent = 'I have saved them — continue';
        var box = document.getElementById('passkey-register');
        box.replaceChildren(note, list, next);
      } else {
        window.location.assign('/account/mfa?done=passkey');
      }
    }).catch(showError);
  }

  function authenticate(box) {
    var purpose = box.getAttribute('data-mode').replace('-', '_');
    var returnTo = box.getAttribute('data-return-to') || undefined;
    post('/api/v1/passkeys/options', { purpose: purpose }).then(function (options) {
      options.challenge = toBuffer(options.challenge);
      options.allowCredentials = credentialDescriptors(options.allowCredentials);
      return navigator.credentials.get({ publicKey: options });
    }).then(function (credential) {
      var response = credential.response;
      return post('/api/v1/passkeys/authenticate', {
        purpose: purpose,
        returnTo: returnTo,
        credential: {
          id: credential.id,
          rawId: toB64url(credential.rawId),
          type: credential.type,
          response: {
            clientDataJSON: toB64url(response.clientDataJSON),
            authenticatorData: toB64url(response.authenticatorData),
            signature: toB64url(response.signature),
            userHandle: response.userHandle ? toB64url(response.userHandle) : undefined
          },
          clientExtensionResults: credential.getClientExtensionResults(),
          authenticatorAttachment: credential.authenticatorAttachment || undefined
        }
      });
    }).then(function (result) {
      window.location.assign(result.redirect || '/account');
    }).catch(showError);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var supported = !!(window.PublicKeyCredential && navigator.credentials);
    var registerButton = document.getElementById('passkey-register-button');
    if (registerButton) {
      if (!supported) registerButton.disabled = true;
      registerButton.addEventListener('click', register);
    }
    var box = document.getElementById('passkey-login');
    var button = document.getElementById('passkey-button');
    if (box && button) {
      if (!supported) button.disabled = true;
      button.addEventListener('click', function () { authenticate(box); });
    }
  });
})();
