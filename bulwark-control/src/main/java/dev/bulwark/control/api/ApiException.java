package dev.bulwark.control.api;

import dev.bulwark.control.store.FieldError;

import java.util.List;

/** An API refusal rendered as an RFC 9457 problem: status, short title, detail, and field errors. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public ApiException(int status, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public ApiException(int status, String title, String detail) { this(status, title, detail, List.of()); }

    public static ApiException badRequest(String field, String reason) {
        return new ApiException(400, "Invalid request", reason, List.of(new FieldError(field, reason)));
    }

    /** A store refusal as the API answers it: 422 invalid, 400 bad parameter, 404, 409. */
    public static ApiException from(dev.bulwark.control.store.StoreException e) {
        return switch (e.kind()) {
            case INVALID -> new ApiException(422, "Validation failed", e.getMessage(), e.errors());
            case BAD_PARAMETER -> new ApiException(400, "Invalid request", e.getMessage(), e.errors());
            case NOT_FOUND -> new ApiException(404, "Not found", e.getMessage());
            case CONFLICT -> new ApiException(409, "Conflict", e.getMessage());
        };
    }

    public int status() { return status; }

    public String title() { return title; }

    public List<FieldError> errors() { return errors; }
}
