package io.raftx.lincheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes histories in the format of {@code shared/linearizability/FORMAT.md}: a JSON array of records,
 * or one record per line (JSONL). Writing always produces JSONL, which can be appended to and diffed line by line.
 *
 * <p>Reading is strict: a missing field is an error rather than a default, because a silently defaulted answer
 * (say a get with no {@code output} read as "absent") would change the verdict.
 */
public final class HistoryIO {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private HistoryIO() {
    }

    public static History read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read history " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a JSON array of records or JSONL (detected by the first non-blank character). */
    public static History parse(String text) {
        List<Operation> ops = new ArrayList<>();
        if (text.strip().startsWith("[")) {
            JsonNode array = readTree(text, "history");
            for (int i = 0; i < array.size(); i++) {
                ops.add(toOperation(array.get(i), "record " + (i + 1)));
            }
        } else {
            String[] lines = text.split("\\R");
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    String where = "line " + (i + 1);
                    ops.add(toOperation(readTree(lines[i], where), where));
                }
            }
        }
        return new History(ops);
    }

    public static void write(History history, Path file) {
        try {
            Files.writeString(file, toJsonl(history), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file, e);
        }
    }

    public static String toJsonl(History history) {
        StringBuilder out = new StringBuilder();
        for (Operation op : history.operations()) {
            out.append(MAPPER.writeValueAsString(toJson(op))).append('\n');
        }
        return out.toString();
    }

    private static JsonNode readTree(String json, String where) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Operation toOperation(JsonNode record, String where) {
        try {
            if (record == null || !record.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            int clientId = Math.toIntExact(requiredLong(record, "clientId"));
            OpKind kind = OpKind.fromJsonName(requiredString(record, "op"));
            String key = requiredString(record, "key");
            long call = requiredLong(record, "call");
            boolean unknown = (record.has("unknown") && requiredBoolean(record, "unknown"))
                    || (record.has("return") && record.get("return").isNull());
            if (!unknown && !record.has("return")) {
                throw new IllegalArgumentException(
                        "no 'return' (use null or \"unknown\": true for an unknown outcome)");
            }
            long returnTime = unknown ? Operation.UNKNOWN : requiredLong(record, "return");
            return switch (kind) {
                case PUT -> Operation.put(clientId, key, requiredString(record, "value"), call, returnTime);
                case APPEND -> Operation.append(clientId, key, requiredString(record, "value"), call, returnTime);
                case DELETE -> Operation.delete(clientId, key, call, returnTime);
                case GET -> Operation.get(clientId, key, unknown ? null : nullableString(record, "output"),
                        call, returnTime);
                case CAS -> Operation.cas(clientId, key, nullableString(record, "expected"),
                        requiredString(record, "value"), !unknown && requiredBoolean(record, "output"),
                        call, returnTime);
            };
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage() + " in " + record, e);
        }
    }

    private static ObjectNode toJson(Operation op) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("clientId", op.clientId());
        node.put("op", op.kind().jsonName());
        node.put("key", op.key());
        if (op.kind() == OpKind.CAS) {
            node.put("expected", op.expected());
        }
        if (op.value() != null) {
            node.put("value", op.value());
        }
        if (!op.isUnknown() && op.kind() == OpKind.GET) {
            node.put("output", op.readValue());
        }
        if (!op.isUnknown() && op.kind() == OpKind.CAS) {
            node.put("output", op.casSucceeded());
        }
        node.put("call", op.call());
        if (op.isUnknown()) {
            node.putNull("return");
        } else {
            node.put("return", op.returnTime());
        }
        return node;
    }

    private static JsonNode required(JsonNode record, String field) {
        JsonNode value = record.get(field);
        if (value == null) {
            throw new IllegalArgumentException("missing '" + field + "'");
        }
        return value;
    }

    private static String requiredString(JsonNode record, String field) {
        JsonNode value = required(record, field);
        if (!value.isString()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return value.stringValue();
    }

    /** Present but possibly null: for a get's output and a cas's expected value, null means "key absent". */
    private static String nullableString(JsonNode record, String field) {
        JsonNode value = required(record, field);
        return value.isNull() ? null : requiredString(record, field);
    }

    private static long requiredLong(JsonNode record, String field) {
        JsonNode value = required(record, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("'" + field + "' must be an integer");
        }
        return value.longValue();
    }

    private static boolean requiredBoolean(JsonNode record, String field) {
        JsonNode value = required(record, field);
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("'" + field + "' must be true or false");
        }
        return value.booleanValue();
    }
}
