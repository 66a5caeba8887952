package dev.doorman.server;

import dev.doorman.keys.KeyState;
import dev.doorman.keys.RotationOutcome;
import dev.doorman.keys.SigningKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code doorman keys list|rotate}: the token signing keys. */
@Command(name = "keys", description = "List and rotate the token signing keys.")
final class KeysCommand implements Callable<Integer> {
    /** How long resource servers may cache the JWKS (its Cache-Control max-age). */
    private static final Duration JWKS_CACHE = Duration.ofMinutes(5);

    @Spec
    CommandSpec spec;

    private final CliContext cli;

    KeysCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(cli.err());
        return Main.EXIT_USAGE;
    }

    @Command(name = "rotate", description = {"Rotate the signing keys now: the next key becomes active, the active key retires, "
            + "and a new next key is published.",
            "The retired key stays in the JWKS until every token it signed has expired (1 hour 5 minutes). Other nodes sharing "
                    + "the database sign with the new key within 10 seconds."})
    static final class Rotate implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        private final CliContext cli;

        Rotate(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                var keys = instance.doorman().signingKeys();
                switch (keys.rotate(CliContext.actor("keys rotate"))) {
                    case RotationOutcome.Rotated r -> {
                        cli.out().println("rotated the signing keys: " + r.activated() + " is now active; " + r.retired()
                                + " is retired and published until " + time(r.retiredPublishedUntil()) + "; " + r.next() + " is the next key");
                        keys.list().stream().filter(k -> k.kid().equals(r.activated())).findFirst()
                                .map(k -> Duration.between(k.createdAt(), cli.clock().instant()))
                                .filter(published -> published.compareTo(JWKS_CACHE) < 0)
                                .ifPresent(published -> cli.err().println("warning: " + r.activated() + " was first published only "
                                        + published.toSeconds() + " s ago; resource servers that cache the JWKS (up to 5 minutes) "
                                        + "must fetch it again when they meet its kid"));
                    }
                    case RotationOutcome.AlreadyRotated a ->
                            cli.out().println("another node rotated the signing keys at the same moment; " + a.active() + " is now active");
                }
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "list", description = "List the signing keys: kid, algorithm, state (next, active, retired) and when each was "
            + "created, activated and retired (UTC).")
    static final class ListKeys implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        private final CliContext cli;

        ListKeys(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            var rows = new ArrayList<List<String>>();
            rows.add(List.of("KID", "ALG", "STATE", "CREATED", "ACTIVATED", "RETIRED"));
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                var keys = new ArrayList<>(instance.doorman().signingKeys().list());
                keys.sort(Comparator.comparingInt(k -> order(k.state())));
                for (SigningKey k : keys) {
                    rows.add(List.of(k.kid().value(), k.algorithm().getName(), k.state().name().toLowerCase(Locale.ROOT),
                            time(k.createdAt()), time(k.activatedAt()), time(k.retiredAt())));
                }
            }
            int[] widths = new int[rows.getFirst().size()];
            for (List<String> row : rows)
                for (int i = 0; i < row.size(); i++) widths[i] = Math.max(widths[i], row.get(i).length());
            for (List<String> row : rows) {
                var line = new StringBuilder();
                for (int i = 0; i < row.size(); i++) {
                    line.append(row.get(i));
                    if (i < row.size() - 1) line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
                cli.out().println(line.toString().stripTrailing());
            }
            return Main.EXIT_OK;
        }

        /** Active first, then next, then retired keys, oldest first (the sort is stable). */
        private static int order(KeyState state) {
            return switch (state) {
                case ACTIVE -> 0;
                case NEXT -> 1;
                case RETIRED -> 2;
            };
        }
    }

    private static String time(Optional<Instant> instant) {
        return instant.map(KeysCommand::time).orElse("-");
    }

    private static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
