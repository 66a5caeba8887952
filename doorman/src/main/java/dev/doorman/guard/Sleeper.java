package dev.doorman.guard;

import java.time.Duration;

/** How a delayed answer waits; injected so tests can see the delays without waiting them out. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d);

    /** Parks the (virtual) request thread. */
    static Sleeper real() {
        return d -> {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
