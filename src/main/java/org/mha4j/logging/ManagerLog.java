package org.mha4j.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the manager's log lines to {@code manager_log} as well, in MHA's line format, at {@code log_level}. logrotate's
 * usual rotation renames the file and expects the writer to start a new one: the file is checked every second and
 * opened again once it was moved away (copytruncate needs nothing, the file is written in append mode).
 */
public final class ManagerLog implements AutoCloseable {
    private static final String NAME = "MANAGER_LOG";

    private final FileAppender<ILoggingEvent> appender;
    private final Thread watcher;

    private ManagerLog(FileAppender<ILoggingEvent> appender, Path file) {
        this.appender = appender;
        this.watcher = Thread.ofVirtual().name("manager-log-reopen").start(() -> reopenWhenMoved(file));
    }

    /**
     * @param level MHA's log_level (debug, info, notice, warning, error, critical, alert, emergency); the environment's
     *              MHA4J_LOG_LEVEL, when set, wins
     * @return the attached log, or null when one is attached already
     */
    public static ManagerLog attach(String file, String level) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(NAME) != null) return null;
        if (System.getenv("MHA4J_LOG_LEVEL") == null) root.setLevel(level(level));
        return attach(ctx, NAME, file, null);
    }

    /**
     * One application's manager_log in mha serve: only the lines its own threads write ({@link AppLogContext}), at its
     * log_level (the process's level is the most detailed of them, set by the caller).
     */
    public static ManagerLog attachFor(String app, String file, String level) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Level threshold = level(level);
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        // the process logs as much as its most detailed application asks for; each file keeps its own level
        if (System.getenv("MHA4J_LOG_LEVEL") == null && !threshold.isGreaterOrEqual(root.getEffectiveLevel())) root.setLevel(threshold);
        Filter<ILoggingEvent> mine = new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent e) {
                return e.getLevel().isGreaterOrEqual(threshold) && AppLogContext.current().filter(app::equals).isPresent()
                        ? FilterReply.NEUTRAL : FilterReply.DENY;
            }
        };
        mine.start();
        return attach(ctx, NAME + "_" + app, file, mine);
    }

    private static ManagerLog attach(LoggerContext ctx, String name, String file, Filter<ILoggingEvent> filter) {
        ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{EEE MMM d HH:mm:ss yyyy} - [%mhaLevel] %msg%n");
        enc.start();
        FileAppender<ILoggingEvent> app = new FileAppender<>();
        app.setName(name);
        if (filter != null) app.addFilter(filter);
        app.setContext(ctx);
        app.setFile(file);
        app.setAppend(true);
        app.setEncoder(enc);
        app.start();
        root.addAppender(app);
        return new ManagerLog(app, Path.of(file));
    }

    /** MHA's Log::Dispatch levels onto Logback's: notice is info, critical and above are error. */
    public static Level level(String mha) {
        return switch (mha.trim().toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "warning" -> Level.WARN;
            case "error", "critical", "alert", "emergency" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    private void reopenWhenMoved(Path file) {
        Object opened = fileKey(file);
        while (!Thread.currentThread().isInterrupted() && appender.isStarted()) {
            try {
                // on the whole second, with the process's other sleepers (one wake-up for all: see Pause)
                Thread.sleep(1000 - Math.floorMod(System.currentTimeMillis(), 1000));
            } catch (InterruptedException e) {
                return;
            }
            Object now = fileKey(file);
            if (!Objects.equals(now, opened) || now == null) {
                try {
                    appender.openFile(file.toString());  // takes the appender's lock: no line is written half to each file
                    opened = fileKey(file);
                } catch (IOException e) {
                    // the directory may be gone for a moment; tried again next second
                }
            }
        }
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        watcher.interrupt();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
    }
}
