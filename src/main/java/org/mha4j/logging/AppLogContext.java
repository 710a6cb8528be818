package org.mha4j.logging;

import java.util.Optional;

/**
 * The application a thread works for, in mha serve, where many applications share one process and each keeps its own
 * manager_log. Inherited: the threads an application's manager starts (replica samples, parallel recovery, hooks'
 * output readers) log into the same file. Never set in masterha_manager, which runs one application.
 */
public final class AppLogContext {
    private static final InheritableThreadLocal<String> APP = new InheritableThreadLocal<>();

    private AppLogContext() {}

    public static Optional<String> current() {
        return Optional.ofNullable(APP.get());
    }

    /** Sets the application of this thread and of the threads it starts from now on. */
    public static void set(String app) {
        APP.set(app);
    }
}
