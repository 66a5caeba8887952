package dev.doorman.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which peers may tell us the client's address. The address comes from the socket, unless the socket's peer is a
 * configured trusted proxy: then {@code X-Forwarded-For} is read from the right, skipping trusted proxies, and the
 * first untrusted address is the client. Anything left of it was written by the client and could be anything.
 */
public final class TrustedProxies {
    private final List<Cidr> trusted;

    private TrustedProxies(List<Cidr> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /** No proxy is trusted: {@code X-Forwarded-For} is ignored. */
    public static TrustedProxies none() {
        return new TrustedProxies(List.of());
    }

    /** @param cidrs such as {@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code fd00::/8}; a bad entry throws naming it */
    public static TrustedProxies of(List<String> cidrs) {
        var parsed = new ArrayList<Cidr>();
        for (String c : cidrs) parsed.add(Cidr.parse(c));
        return new TrustedProxies(parsed);
    }

    public boolean isEmpty() {
        return trusted.isEmpty();
    }

    /**
     * The client's address.
     *
     * @param peer           the socket's remote address
     * @param forwardedFor   every {@code X-Forwarded-For} header value, in the order received
     */
    public String clientIp(String peer, List<String> forwardedFor) {
        if (trusted.isEmpty() || !isTrusted(peer) || forwardedFor.isEmpty()) return peer;
        var hops = new ArrayList<String>();
        for (String header : forwardedFor) {
            for (String part : header.split(",")) hops.add(part.strip());
        }
        String last = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> address = literal(hops.get(i));
            // A garbled entry: the proxy that appended it is trusted, but what it appended is no address; stop at the last good one.
            if (address.isEmpty()) return last;
            String hop = address.get().getHostAddress();
            if (!isTrusted(hop)) return hop;
            last = hop;
        }
        return last;
    }

    boolean isTrusted(String ip) {
        Optional<InetAddress> address = literal(ip);
        return address.isPresent() && trusted.stream().anyMatch(c -> c.contains(address.get()));
    }

    /** An IP literal only, never a name lookup; {@code [v6]} and {@code v4:port} as some proxies write them are accepted. */
    static Optional<InetAddress> literal(String raw) {
        if (raw == null) return Optional.empty();
        String s = raw.strip();
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            if (end < 0) return Optional.empty();
            s = s.substring(1, end);
        } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':') && s.contains(".")) {
            s = s.substring(0, s.indexOf(':'));
        }
        if (s.isEmpty() || s.length() > 45 || !s.matches("[0-9A-Fa-f:.]+") || !(s.contains(".") || s.contains(":"))) return Optional.empty();
        if (!s.contains(":") && !s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return Optional.empty();
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }

    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String s = text.strip();
            int slash = s.indexOf('/');
            String host = slash < 0 ? s : s.substring(0, slash);
            InetAddress address = literal(host).orElseThrow(() -> new IllegalArgumentException("not an IP address or CIDR range: '" + text + "'"));
            byte[] bytes = address.getAddress();
            int prefix;
            try {
                prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IP address or CIDR range: '" + text + "'");
            }
            if (prefix < 0 || prefix > bytes.length * 8)
                throw new IllegalArgumentException("prefix out of range in '" + text + "'");
            return new Cidr(mask(bytes, prefix), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            return bytes.length == network.length && java.util.Arrays.equals(mask(bytes, prefix), network);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress().toLowerCase(Locale.ROOT) + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bits)));
        }
        return out;
    }
}
