package org.mha4j.coordination;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mha4j.failover.Coordination;
import org.mha4j.promote.FailoverRecord;
import org.mha4j.promote.Step;

/**
 * The journal and the last failover as ZooKeeper holds them, JSON through Jackson's streaming API: its object mapper's
 * reflection costs a manager 20-28 MB of resident memory (measured for the failover record, docs/benchmarks.md), and a
 * coordinated manager reads the journal every half second while it stands by.
 */
final class JournalJson {
    private static final JsonFactory JSON = new JsonFactory();

    private JournalJson() {}

    static byte[] write(FailoverJournal j) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            field(g, "manager", j.manager());
            g.writeNumberField("epoch", j.epoch());
            field(g, "dead", j.dead());
            field(g, "started", j.started());
            field(g, "state", j.state());
            field(g, "newMaster", j.newMaster());
            field(g, "ended", j.ended());
            field(g, "takenOverBy", j.takenOverBy());
            FailoverRecord.writeSteps(g, j.steps());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    static byte[] write(Coordination.Last l) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            field(g, "at", l.at());
            field(g, "dead", l.dead());
            field(g, "newMaster", l.newMaster());
            field(g, "manager", l.manager());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    static FailoverJournal journal(byte[] data) throws IOException {
        Map<String, Object> m = object(data);
        List<Step> steps = new ArrayList<>();
        if (m.get("steps") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> s) {
                    steps.add(new Step(text(s, "phase"), text(s, "name"), text(s, "server"), text(s, "statement"), text(s, "start"),
                            number(s, "millis"), text(s, "outcome"), text(s, "detail")));
                }
            }
        }
        return new FailoverJournal(text(m, "manager"), number(m, "epoch"), text(m, "dead"), text(m, "started"), text(m, "state"),
                text(m, "newMaster"), steps, text(m, "ended"), text(m, "takenOverBy"));
    }

    static Coordination.Last last(byte[] data) throws IOException {
        Map<String, Object> m = object(data);
        return new Coordination.Last(text(m, "at"), text(m, "dead"), text(m, "newMaster"), text(m, "manager"));
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) g.writeStringField(name, value);
    }

    private static String text(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    private static long number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static Map<String, Object> object(byte[] data) throws IOException {
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            return readObject(p);
        }
    }

    /** The object whose START_OBJECT was just read: strings, numbers, nested objects and arrays; unknown fields kept. */
    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            out.put(name, value(p, p.nextToken()));
        }
        return out;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> readObject(p);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) list.add(value(p, e));
                yield list;
            }
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> p.getText();
        };
    }
}
