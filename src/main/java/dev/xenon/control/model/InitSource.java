package dev.xenon.control.model;

import dev.xenon.control.NeonName;

/** What a new branch starts with: its parent's data, or only its schema (every table empty). */
public enum InitSource implements NeonName {
    PARENT_DATA,
    SCHEMA_ONLY;

    @Override
    public String value() {
        return this == PARENT_DATA ? "parent-data" : "schema-only";
    }
}
