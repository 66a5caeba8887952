package dev.doorman.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A local copy of the Have I Been Pwned password corpus in its k-anonymity range format: one file per 5-hex-digit
 * SHA-1 prefix, each line the remaining 35 hex digits and how often the password was seen ({@code SUFFIX:COUNT}).
 * Only the one small file for a password's prefix is read; the password and its hash are never logged. Lines with a
 * count of 0 are the padding the downloader may add, not breached passwords.
 */
public final class BreachedPasswords {
    private static final Logger LOG = LoggerFactory.getLogger(BreachedPasswords.class);

    private final Path directory;

    private BreachedPasswords(Path directory) {
        this.directory = directory;
    }

    /** @throws IllegalArgumentException when the directory does not exist or cannot be read: a misconfiguration, said at start */
    public static BreachedPasswords open(Path directory) {
        if (!Files.isDirectory(directory) || !Files.isReadable(directory))
            throw new IllegalArgumentException("breached-password corpus " + directory.toAbsolutePath() + " is not a readable directory");
        return new BreachedPasswords(directory);
    }

    /** SHA-1 as HIBP uses it: upper-case hex of the UTF-8 bytes (of the NFKC-normalized password). */
    static String sha1Hex(Password password) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(password.value().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    /**
     * Whether the corpus lists the password. A prefix without a file counts as "not listed" (a partial corpus is
     * still useful); a file that exists but cannot be read is an error, not a silent pass.
     *
     * @throws UncheckedIOException when the corpus cannot be read
     */
    public boolean isBreached(Password password) {
        String hash = sha1Hex(password);
        String prefix = hash.substring(0, 5);
        String suffix = hash.substring(5);
        for (String name : new String[]{prefix, prefix + ".txt", prefix.toLowerCase(Locale.ROOT), prefix.toLowerCase(Locale.ROOT) + ".txt"}) {
            Path file = directory.resolve(name);
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
                return contains(in, suffix);
            } catch (NoSuchFileException e) {
                // try the next spelling
            } catch (IOException e) {
                LOG.error("cannot read the breached-password corpus file {}: {}", file, e.getClass().getSimpleName());
                throw new UncheckedIOException("cannot read the breached-password corpus", e);
            }
        }
        return false;
    }

    private static boolean contains(BufferedReader in, String suffix) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            int colon = line.indexOf(':');
            if (colon != suffix.length() || !line.regionMatches(true, 0, suffix, 0, colon)) continue;
            String count = line.substring(colon + 1).strip();
            return !count.isEmpty() && !count.chars().allMatch(c -> c == '0');
        }
        return false;
    }
}
