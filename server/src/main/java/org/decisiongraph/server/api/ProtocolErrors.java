package org.decisiongraph.server.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answers to requests it rejects before any route runs (request line over 8 KiB: 414, headers too
 * large: 431, ambiguous or malformed URIs: 400) in the API's JSON error envelope instead of Jetty's HTML page.
 */
final class ProtocolErrors extends ErrorHandler {

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String message = switch (status) {
            case 414 -> "Request URI too long";
            case 431 -> "Request headers too large";
            case 400 -> "Malformed request";
            default -> status >= 500 ? "Internal server error" : "Request rejected";
        };
        String code = status >= 500 ? "internal_error" : "invalid_argument";
        String requestId = Transport.requestId(null);
        byte[] body = JsonWriter.canonicalLenient(JsonObject.builder()
                .put("error", JsonObject.builder().put("code", code).put("message", message).build())
                .put("request_id", requestId)
                .build()).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Transport.JSON_TYPE);
        response.getHeaders().put("x-request-id", requestId);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
