package org.mha4j.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends the manager's log lines to {@code manager_log} as well, in MHA's line format. */
final class ManagerLog {
    private ManagerLog() {}

    static void attach(String file) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        if (ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("MANAGER_LOG") != null) return;
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{EEE MMM d HH:mm:ss yyyy} - [%mhaLevel] %msg%n");
        enc.start();
        FileAppender<ILoggingEvent> app = new FileAppender<>();
        app.setName("MANAGER_LOG");
        app.setContext(ctx);
        app.setFile(file);
        app.setAppend(true);
        app.setEncoder(enc);
        app.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(app);
    }
}
