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
    private final boolean text = "text".equalsIgnoreCase(Setting.DG_LOG_FORMAT.get());

    @Override
    public String doLayout(ILoggingEvent event) {
        if (text) {
            return textLine(event);
        }
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

    /** {@code DG_LOG_FORMAT=text}: {@code <timestamp> <LEVEL> <logger> <message> key=value...} for development. */
    private static String textLine(ILoggingEvent event) {
        StringBuilder b = new StringBuilder()
                .append(Instant.ofEpochMilli(event.getTimeStamp())).append(' ')
                .append(event.getLevel()).append(' ')
                .append(event.getLoggerName()).append(' ')
                .append(event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            new java.util.TreeMap<>(mdc).forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        }
        b.append(System.lineSeparator());
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            b.append(ThrowableProxyUtil.asString(t)).append(System.lineSeparator());
        }
        return b.toString();
    }
}
