package dev.doorman.client;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/** Redirect URI matching: exact string comparison; for http loopback redirects (RFC 8252 §7.3) any port. */
public final class RedirectUris {
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

    static boolean isLoopback(URI uri) {
        return "http".equals(uri.getScheme()) && ("127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost()));
    }

    private static boolean sameButPort(URI a, URI b) {
        return Objects.equals(a.getHost(), b.getHost()) && Objects.equals(a.getRawPath(), b.getRawPath())
                && Objects.equals(a.getRawQuery(), b.getRawQuery()) && a.getRawFragment() == null && b.getRawFragment() == null
                && a.getRawUserInfo() == null && b.getRawUserInfo() == null;
    }
}
