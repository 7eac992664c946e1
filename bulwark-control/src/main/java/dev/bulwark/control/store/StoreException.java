package dev.bulwark.control.store;

import java.util.List;

/**
 * A write the store refused. {@link Kind} tells the API which status to answer with;
 * {@code errors} names the offending fields for validation failures.
 */
public final class StoreException extends RuntimeException {
    /** INVALID: the resulting config is refused; BAD_PARAMETER: a request parameter is malformed. */
    public enum Kind { INVALID, BAD_PARAMETER, NOT_FOUND, CONFLICT }

    private final Kind kind;
    private final List<FieldError> errors;

    public StoreException(Kind kind, String message, List<FieldError> errors) {
        super(message);
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    public static StoreException invalid(List<FieldError> errors) {
        return new StoreException(Kind.INVALID, "the change is not a valid configuration", errors);
    }

    public static StoreException invalid(String field, String reason) {
        return invalid(List.of(new FieldError(field, reason)));
    }

    public static StoreException badParameter(String field, String reason) {
        return new StoreException(Kind.BAD_PARAMETER, reason, List.of(new FieldError(field, reason)));
    }

    public static StoreException notFound(String message) { return new StoreException(Kind.NOT_FOUND, message, List.of()); }

    public static StoreException conflict(String message) { return new StoreException(Kind.CONFLICT, message, List.of()); }

    public Kind kind() { return kind; }

    public List<FieldError> errors() { return errors; }
}
