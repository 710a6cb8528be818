package org.mha4j.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %mhaApp}: "app1: " before a line that one application of mha serve wrote to the screen, nothing in
 * masterha_manager (whose lines keep MHA's format). Read on the logging thread, as appenders here are synchronous.
 */
public final class AppPrefixConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return AppLogContext.current().map(a -> a + ": ").orElse("");
    }
}
