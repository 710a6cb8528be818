package org.mha4j.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** MHA's level words in log lines ("[info]", "[warning]", "[error]"), so existing log scrapers keep working. */
public final class MhaLevelConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        Level l = event.getLevel();
        if (l == Level.WARN) return "warning";
        return l.toString().toLowerCase();
    }
}
