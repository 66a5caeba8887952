package dev.doorman.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash that links audit records. The canonical encoding is a version tag followed by every field as a 4-byte
 * big-endian length and its UTF-8 bytes (length -1 for an absent field), so no two different records encode alike
 * and no choice of characters in a user agent can shift one field into the next.
 */
public final class AuditChain {
    /** The prev_hash of the very first record. */
    public static final String GENESIS = "0".repeat(64);

    private static final byte[] VERSION = "doorman-audit-v1".getBytes(StandardCharsets.US_ASCII);

    private AuditChain() {
    }

    public static String hash(String prevHash, String id, long atMillis, String type, String outcome, String reason, String user,
                              String subjectHint, String ip, String userAgent) {
        return HexFormat.of().formatHex(sha256(canonical(prevHash, id, atMillis, type, outcome, reason, user, subjectHint, ip, userAgent)));
    }

    static byte[] canonical(String prevHash, String id, long atMillis, String type, String outcome, String reason, String user,
                            String subjectHint, String ip, String userAgent) {
        var out = new ByteArrayOutputStream(256);
        out.writeBytes(VERSION);
        for (String field : new String[]{prevHash, id, Long.toString(atMillis), type, outcome, reason, user, subjectHint, ip, userAgent}) {
            if (field == null) {
                writeInt(out, -1);
            } else {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                writeInt(out, bytes.length);
                out.writeBytes(bytes);
            }
        }
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
