package dev.doorman.server;

import dev.doorman.access.BindingOutcome;
import dev.doorman.access.StoredBinding;
import dev.doorman.account.Email;
import dev.doorman.authz.ResourceRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code doorman role bind|unbind|bindings}: role bindings for the authorization policy, global or on one resource.
 * The role must be defined in the policy file ({@code authz.policyFile}); the subject is a user (id or e-mail
 * address) or a client id. Each change is audited.
 */
@Command(name = "role", description = "Bind roles of the authorization policy to users and clients, globally or on one resource.")
final class RoleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final CliContext cli;

    RoleCommand(CliContext cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(cli.err());
        return Main.EXIT_USAGE;
    }

    /** A user's id for an e-mail address; any other text is taken as a user or client id. */
    static String subjectId(DoormanInstance instance, String subject) {
        if (!subject.contains("@")) return subject;
        return Email.parse(subject).flatMap(e -> instance.doorman().users().findByEmail(e))
                .map(u -> u.id().toString())
                .orElseThrow(() -> CommandFailure.failed("no account has the e-mail address " + subject));
    }

    static String describe(dev.doorman.authz.RoleBinding b) {
        return b.role() + " for " + b.subjectId() + b.scope().map(s -> " on " + s).orElse(" (global)");
    }

    @Command(name = "bind", description = "Give a subject a role, everywhere or on one resource (and the resources under it).")
    static final class Bind implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Option(names = "--subject", required = true, paramLabel = "ID|EMAIL", description = "A user id or e-mail address, or a client id.")
        String subject;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "A role defined in the policy file.")
        String role;
        @Option(names = "--on", paramLabel = "TYPE/ID", description = "Bind on this resource only, e.g. project/42.")
        String on;

        private final CliContext cli;

        Bind(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                var outcome = instance.doorman().access().bind(subjectId(instance, subject), role, Optional.ofNullable(on), Optional.empty(),
                        CliContext.actor("role bind"));
                switch (outcome) {
                    case BindingOutcome.Bound b -> cli.out().println("bound " + describe(b.binding()));
                    case BindingOutcome.AlreadyBound a -> cli.out().println("already bound: " + describe(a.binding()));
                    case BindingOutcome.Refused r -> throw CommandFailure.failed("binding refused: " + r.message());
                    case BindingOutcome.Unbound u -> throw new IllegalStateException("bind answered unbound");
                    case BindingOutcome.NotBound n -> throw new IllegalStateException("bind answered not bound");
                }
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "unbind", description = "Remove a role binding; it stops counting at the next decision.")
    static final class Unbind implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Option(names = "--subject", required = true, paramLabel = "ID|EMAIL", description = "A user id or e-mail address, or a client id.")
        String subject;
        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "The bound role.")
        String role;
        @Option(names = "--on", paramLabel = "TYPE/ID", description = "The resource it is bound on (leave out for a global binding).")
        String on;

        private final CliContext cli;

        Unbind(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                var outcome = instance.doorman().access().unbind(subjectId(instance, subject), role, Optional.ofNullable(on), Optional.empty(),
                        CliContext.actor("role unbind"));
                switch (outcome) {
                    case BindingOutcome.Unbound u -> cli.out().println("unbound " + describe(u.binding()));
                    case BindingOutcome.NotBound n -> throw CommandFailure.failed("no such binding: " + describe(n.binding()));
                    case BindingOutcome.Refused r -> throw CommandFailure.failed("unbind refused: " + r.message());
                    case BindingOutcome.Bound b -> throw new IllegalStateException("unbind answered bound");
                    case BindingOutcome.AlreadyBound a -> throw new IllegalStateException("unbind answered already bound");
                }
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "bindings", description = "List role bindings (of one subject with --subject).")
    static final class ListBindings implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();
        @Option(names = "--subject", paramLabel = "ID|EMAIL", description = "Only this user or client.")
        String subject;

        private final CliContext cli;

        ListBindings(CliContext cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ServerConfig cfg = config.load(cli);
            try (var instance = DoormanInstance.open(cfg, cli.clock())) {
                List<StoredBinding> bindings = instance.doorman().access().bindings(Optional.ofNullable(subject).map(s -> subjectId(instance, s)));
                var rows = new ArrayList<List<String>>();
                rows.add(List.of("SUBJECT", "ROLE", "ON", "CREATED"));
                for (StoredBinding b : bindings) {
                    rows.add(List.of(b.binding().subjectId(), b.binding().role(), b.binding().scope().map(ResourceRef::toString).orElse("*"),
                            b.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
                }
                Table.print(cli.out(), rows);
            }
            return Main.EXIT_OK;
        }
    }
}
