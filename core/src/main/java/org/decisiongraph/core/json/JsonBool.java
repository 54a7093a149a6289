package org.decisiongraph.core.json;

public enum JsonBool implements Json {
    TRUE, FALSE;

    public boolean value() {
        return this == TRUE;
    }
}
