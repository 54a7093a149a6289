package org.decisiongraph.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;

/** The {@code details} of a domain error: {@code mismatches} for metadata conflicts, {@code expected_trace_seq} for sequence errors. */
final class ErrorDetails {
    private static final Pattern EXPECTED = Pattern.compile("^Expected trace_seq (\\d+), got -?\\d+$");
    private static final String METADATA = "already used with different metadata: ";

    private ErrorDetails() {
    }

    static JsonObject of(DgException e) {
        String m = e.message();
        switch (e.code()) {
            case DG_ERR_EVENT_SEQUENCE_INVALID -> {
                Matcher x = EXPECTED.matcher(m);
                if (x.matches()) {
                    return JsonObject.builder().put("expected_trace_seq", Long.parseLong(x.group(1))).build();
                }
            }
            case DG_ERR_IDEMPOTENCY_CONFLICT -> {
                int at = m.indexOf(METADATA);
                if (at >= 0) {
                    List<String> fields = new ArrayList<>();
                    for (String f : m.substring(at + METADATA.length()).split(", ")) {
                        fields.add(f.strip());
                    }
                    return JsonObject.builder().put("mismatches", Json.strings(fields)).build();
                }
            }
            default -> {
                // no details
            }
        }
        return JsonObject.empty();
    }
}
