package dev.doorman.client;

import com.nimbusds.oauth2.sdk.client.RedirectURIValidator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Redirect URIs: what may be registered (RFC 9700 §2.1 and §4.1.3, RFC 6749 §3.1.2, RFC 8252 §7 and §8.3), and how a
 * requested one is matched: exact string comparison; for http loopback redirects (RFC 8252 §7.3) any port.
 */
public final class RedirectUris {
    public static final int MAX_LENGTH = 2000;
    private static final Set<String> REFUSED_SCHEMES = Set.of("javascript", "data", "vbscript", "file");
    /** A private-use scheme for native apps is a reverse domain name the app's owner controls (RFC 8252 §7.1). */
    private static final Pattern PRIVATE_USE_SCHEME = Pattern.compile("[a-z][a-z0-9+-]*(\\.[a-z0-9+-]+)+");

    private RedirectUris() {
    }

    public static boolean matches(List<URI> registered, URI requested) {
        String wanted = requested.toString();
        for (URI uri : registered) {
            if (uri.toString().equals(wanted)) return true;
            if (isLoopback(uri) && isLoopback(requested) && sameButPort(uri, requested)) return true;
        }
        return false;
    }

    /** An http redirect to 127.0.0.1 or [::1], which RFC 8252 lets a native app use on any port. */
    public static boolean isLoopback(URI uri) {
        return "http".equals(uri.getScheme()) && ("127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost()));
    }

    private static boolean sameButPort(URI a, URI b) {
        return Objects.equals(a.getHost(), b.getHost()) && Objects.equals(a.getRawPath(), b.getRawPath())
                && Objects.equals(a.getRawQuery(), b.getRawQuery()) && a.getRawFragment() == null && b.getRawFragment() == null
                && a.getRawUserInfo() == null && b.getRawUserInfo() == null;
    }

    /**
     * Why this redirect URI cannot be registered, or empty when it can. Allowed: {@code https} URIs with a host;
     * {@code http} only on the loopback addresses {@code 127.0.0.1} and {@code [::1]} (never {@code localhost},
     * RFC 8252 §8.3); and private-use schemes of native apps named by a reverse domain ({@code com.example.app:/callback}).
     * Never a fragment, user information, wildcard, dot segment, or a {@code javascript:}, {@code data:},
     * {@code vbscript:} or {@code file:} URI.
     */
    public static Optional<String> registrationProblem(String raw) {
        if (raw == null || raw.isBlank()) return Optional.of("must not be empty");
        if (raw.length() > MAX_LENGTH) return Optional.of("must be at most " + MAX_LENGTH + " characters");
        if (!raw.chars().allMatch(c -> c > 0x20 && c < 0x7f))
            return Optional.of("must be ASCII without spaces or control characters (percent-encode anything else)");
        int colon = raw.indexOf(':');
        String claimedScheme = colon > 0 ? raw.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        if (REFUSED_SCHEMES.contains(claimedScheme)) return Optional.of("the " + claimedScheme + ": scheme is never allowed");
        if (raw.indexOf('*') >= 0) return Optional.of("must not contain a wildcard (*): redirect URIs are compared exactly");
        if (raw.indexOf('#') >= 0) return Optional.of("must not have a fragment (RFC 6749 §3.1.2)");
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URI (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null) return Optional.of("must be an absolute URI with a scheme such as https:");
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals(lower)) return Optional.of("the scheme must be lower case (" + lower + ":)");
        if (uri.isOpaque())
            return Optional.of("must have a path starting with / after the scheme (e.g. " + lower + ":/callback)");
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))
            return Optional.of("must not contain user information (user@host)");
        if (hasDotSegment(uri.getPath())) return Optional.of("must not contain . or .. path segments");
        Optional<String> schemeProblem = switch (lower) {
            case "https" -> uri.getHost() == null || uri.getHost().isEmpty()
                    ? Optional.of("an https redirect URI needs a host") : Optional.empty();
            case "http" -> httpProblem(uri);
            default -> PRIVATE_USE_SCHEME.matcher(lower).matches() ? Optional.empty()
                    : Optional.of("the scheme " + lower + ": is not allowed: use https, http on a loopback address, "
                    + "or a private-use scheme named by a reverse domain such as com.example.app (RFC 8252 §7.1)");
        };
        if (schemeProblem.isPresent()) return schemeProblem;
        try {
            RedirectURIValidator.ensureLegal(uri);   // Nimbus: no code/state/response query parameters, no fragment
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return Optional.empty();
    }

    private static Optional<String> httpProblem(URI uri) {
        String host = uri.getHost();
        if (host == null) return Optional.of("an http redirect URI needs a loopback host: http://127.0.0.1 or http://[::1]");
        if (host.equalsIgnoreCase("localhost"))
            return Optional.of("http://localhost is not allowed (RFC 8252 §8.3): use http://127.0.0.1 or http://[::1]");
        if (!host.equals("127.0.0.1") && !host.equals("[::1]"))
            return Optional.of("http is allowed only for loopback redirects (http://127.0.0.1 or http://[::1], RFC 8252 §7.3): use https");
        return Optional.empty();
    }

    private static boolean hasDotSegment(String path) {
        if (path == null) return false;
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) return true;
        }
        return false;
    }
}
