package dev.bulwark.control.trustsafety;

import java.util.Locale;

/** An appeal against an applied action: open until an operator upholds the action or reverses it. */
public record Appeal(String id, String actionId, String appellant, String statement, Status status, long filedAt,
                     String decidedBy, Long decidedAt, String decision) {
    public enum Status {
        OPEN, UPHELD, REVERSED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wire() { return name().toLowerCase(Locale.ROOT); }
    }
}
