package dev.doorman.guard;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The key a client address is counted under. An IPv4 address is itself; an IPv6 address is its /64, because one
 * host usually gets a whole /64 and could otherwise rotate through 2^64 keys.
 */
public final class Sources {
    private Sources() {
    }

    public static String keyOf(String ip) {
        var address = TrustedProxies.literal(ip);
        if (address.isEmpty()) return ip == null || ip.isEmpty() ? "unknown" : "raw:" + ip.toLowerCase(Locale.ROOT);
        InetAddress a = address.get();
        if (a instanceof Inet6Address) {
            try {
                return InetAddress.getByAddress(TrustedProxies.mask(a.getAddress(), 64)).getHostAddress() + "/64";
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return a.getHostAddress();
    }
}
