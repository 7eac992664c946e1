package dev.bulwark.core.rules;

/** The value types of the rule language. */
enum Type {
    STRING, INT, BOOL, IP;

    String display() {
        return switch (this) {
            case STRING -> "string";
            case INT -> "int";
            case BOOL -> "bool";
            case IP -> "ip";
        };
    }
}
