package org.decisiongraph.core.json;

import java.util.Objects;

public record JsonString(String value) implements Json {
    public JsonString {
        Objects.requireNonNull(value, "value");
    }
}
