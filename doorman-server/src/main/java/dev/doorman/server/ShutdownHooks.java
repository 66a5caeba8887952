package dev.doorman.server;

/** Where {@code serve} registers what to do when the process is asked to stop (SIGTERM, Ctrl-C). */
@FunctionalInterface
public interface ShutdownHooks {
    void onShutdown(Runnable action);

    /** The JVM's own hooks: they run on SIGTERM and SIGINT. */
    static ShutdownHooks jvm() {
        return action -> Runtime.getRuntime().addShutdownHook(new Thread(action, "doorman-shutdown"));
    }
}
