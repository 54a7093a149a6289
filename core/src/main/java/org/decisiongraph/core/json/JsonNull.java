package org.decisiongraph.core.json;

public enum JsonNull implements Json {
    INSTANCE
}
