package dev.doorman.resource;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** Where we are willing to fetch keys, feeds and introspection from: https, or plain http to a loopback address (development, tests). */
final class TrustedUris {
    private TrustedUris() {
    }

    static boolean acceptable(URI uri) {
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) return false;
        if ("https".equals(uri.getScheme())) return true;
        if (!"http".equals(uri.getScheme())) return false;
        String host = uri.getHost();
        if (host.equals("localhost")) return true;
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) return false;   // literal addresses only: no lookup
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
