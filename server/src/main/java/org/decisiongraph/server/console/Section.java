package org.decisiongraph.server.console;

import java.util.function.Supplier;

import org.decisiongraph.core.error.DgException;
import org.decisiongraph.core.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A panel's data with its state, so a failing part degrades alone (platform spec 4.2): a projection that has not
 * caught up gives {@code stale} with the 409 message, a missing trace {@code empty}, anything else {@code unavailable}.
 */
public record Section<T>(PanelState state, T data) {
    private static final Logger LOG = LoggerFactory.getLogger(Section.class);

    public static <T> Section<T> of(Supplier<T> load) {
        try {
            return new Section<>(PanelState.READY, load.get());
        } catch (DgException e) {
            if (e.code() == ErrorCode.DG_ERR_PROJECTION_OUT_OF_DATE) {
                return new Section<>(PanelState.stale(e.message()), null);
            }
            if (e.code() == ErrorCode.DG_ERR_NOT_FOUND) {
                return new Section<>(PanelState.empty(e.message()), null);
            }
            return new Section<>(PanelState.unavailable(e.message()), null);
        } catch (RuntimeException e) {
            LOG.warn("console_section_failed", e);
            return new Section<>(PanelState.unavailable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), null);
        }
    }

    public static <T> Section<T> unavailable(String message) {
        return new Section<>(PanelState.unavailable(message), null);
    }

    public static <T> Section<T> empty(String message) {
        return new Section<>(PanelState.empty(message), null);
    }

    /** This section, but {@code empty} with {@code message} when ready and {@code isEmpty} holds for the data. */
    public Section<T> emptyIf(java.util.function.Predicate<T> isEmpty, String message) {
        return state.ready() && isEmpty.test(data) ? new Section<>(PanelState.empty(message), data) : this;
    }
}
