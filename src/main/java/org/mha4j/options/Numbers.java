package org.mha4j.options;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Picocli converters for numbers with a range: a value outside it is refused before the command does anything, with
 * the option named (picocli adds it) and the value shortened, never a stack trace or a 100,000-digit echo.
 */
public final class Numbers {
    private Numbers() {}

    static long parse(String v, long min, long max, String what) {
        String shown = v.length() <= 40 ? v : v.substring(0, 40) + "… (" + v.length() + " characters)";
        if (!v.strip().matches("-?[0-9]{1,19}")) throw new TypeConversionException("'" + shown + "' is not " + what);
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + shown + "' is not " + what);
        }
        if (n < min || n > max) throw new TypeConversionException("'" + shown + "' is not " + what);
        return n;
    }

    public static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            return (int) parse(v, 0, Integer.MAX_VALUE, "a whole number of 0 or more");
        }
    }

    public static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            return (int) parse(v, 1, Integer.MAX_VALUE, "a whole number of 1 or more");
        }
    }

    public static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            return (int) parse(v, 1, 65535, "a port number from 1 to 65535");
        }
    }

    /** 0 asks for free ports. */
    public static final class PortOrZero implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            return (int) parse(v, 0, 65535, "a port number from 0 (any free one) to 65535");
        }
    }

    public static final class ZeroOrOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            return (int) parse(v, 0, 1, "0 or 1");
        }
    }

    public static final class NonNegativeLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            return parse(v, 0, Long.MAX_VALUE, "a whole number of 0 or more");
        }
    }

    /** rpl_semi_sync_master_timeout's range on every server. */
    public static final class SemiSyncTimeout implements ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            return parse(v, 1, 4_294_967_295L, "milliseconds from 1 to 4294967295");
        }
    }

    /** Servers of a bench sandbox: a master and at least one replica to fail over to. */
    public static final class Nodes implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String v) {
            return (int) parse(v, 2, 32, "a number of servers from 2 to 32");
        }
    }
}
