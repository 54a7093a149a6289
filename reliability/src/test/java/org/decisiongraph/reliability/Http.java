package org.decisiongraph.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Raw HTTP for the fuzzer and the matrix: byte bodies, any headers, SSE answers closed after their status line. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    record Answer(int status, String body, Map<String, java.util.List<String>> headers) {
        boolean hasHeader(String name) {
            return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
        }
    }

    static Answer exchange(URI base, String method, String pathAndQuery, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(60));
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getValue().isEmpty() && h.getKey().equalsIgnoreCase("Content-Type")) {
                continue;
            }
            try {
                b.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                // java.net.http refuses some header values outright (control characters): not sendable
            }
        }
        if (body != null && body.length > 1_000_000) {
            b.expectContinue(true); // the server may refuse an oversized body before it is sent (413)
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        HttpResponse<InputStream> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            boolean sse = r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            String text = sse ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(r.statusCode(), text, r.headers().map());
        }
    }
}
