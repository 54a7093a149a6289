package org.decisiongraph.server;

import java.time.Instant;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import org.decisiongraph.core.json.Json;
import org.decisiongraph.core.json.JsonObject;
import org.decisiongraph.core.json.JsonWriter;

/**
 * One JSON object per line (platform spec 6.4): {@code timestamp}, {@code level}, {@code logger},
 * {@code message}, {@code thread}, the MDC keys ({@code request_id}, {@code tenant_id}, {@code trace_id},
 * {@code account_id}, ...) and {@code exception} when present. Messages never carry payloads or secrets;
 * that is the callers' rule, this layout only formats.
 */
public final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        JsonObject.Builder b = JsonObject.builder()
                .put("timestamp", Instant.ofEpochMilli(event.getTimeStamp()).toString())
                .put("level", event.getLevel().toString())
                .put("logger", event.getLoggerName())
                .put("message", event.getFormattedMessage())
                .put("thread", event.getThreadName());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((k, v) -> {
                if (v != null) {
                    b.put(k, v);
                }
            });
        }
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            b.put("exception", Json.of(ThrowableProxyUtil.asString(t)));
        }
        return JsonWriter.canonicalLenient(b.build()) + System.lineSeparator();
    }
}
