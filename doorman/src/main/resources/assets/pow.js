// Doorman's proof of work: find a nonce such that SHA-256(challenge + nonce) starts with `bits` zero bits,
// put it in the form, and send the form once it is found (a press on the button before that waits for it).
(function () {
  "use strict";
  var form = document.querySelector("form[data-pow]");
  if (!form || !window.crypto || !window.crypto.subtle) return;
  var challenge = form.getAttribute("data-pow");
  var bits = parseInt(form.getAttribute("data-pow-bits"), 10);
  var nonceField = form.querySelector("input[name=pow_nonce]");
  var status = document.getElementById("pow-status");
  var encoder = new TextEncoder();
  var solved = false, wantsSubmit = false;

  function zeroBits(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { n += 8; continue; }
      return n + Math.clz32(bytes[i]) - 24;
    }
    return n;
  }

  form.addEventListener("submit", function (event) {
    if (solved) return;
    event.preventDefault();
    wantsSubmit = true;
    if (status) status.textContent = "Almost done with the security check; your login is sent as soon as it finishes.";
  });

  async function solve() {
    for (var n = 0; ; n++) {
      var nonce = n.toString(36);
      var digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(challenge + nonce)));
      if (zeroBits(digest) >= bits) return nonce;
    }
  }

  solve().then(function (nonce) {
    nonceField.value = nonce;
    solved = true;
    if (status) status.textContent = "Security check done.";
    if (wantsSubmit) form.submit();
  });
})();
