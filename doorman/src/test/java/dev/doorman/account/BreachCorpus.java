package dev.doorman.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A small Have I Been Pwned corpus in the range format, generated for tests: every password added lands in the file
 * of its SHA-1 prefix between a few decoy lines, as the real files look.
 */
public final class BreachCorpus {
    private final Path dir;

    public BreachCorpus(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public BreachCorpus add(String password, int count) {
        String hash = BreachedPasswords.sha1Hex(new Password(password));
        return addLine(hash.substring(0, 5), hash.substring(5) + ":" + count);
    }

    public BreachCorpus addLine(String fileName, String line) {
        try {
            Path file = dir.resolve(fileName);
            if (!Files.exists(file))
                Files.writeString(file, "0005AD76BD555C1D6D771DE417A4B87E4B4:10\r\n00A8DAE4228F821FB418F59826079BF368:2\r\n", StandardCharsets.US_ASCII);
            Files.writeString(file, line + "\r\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
            Files.writeString(file, "FFFFFE3B7A2C2A7E8BC0A3C1C4D8A5D1E82:1\r\n", StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String prefix(String password) {
        return BreachedPasswords.sha1Hex(new Password(password)).substring(0, 5);
    }
}
