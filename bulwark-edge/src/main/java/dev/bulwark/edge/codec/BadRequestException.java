package dev.bulwark.edge.codec;

/** A request the edge refuses before routing it; carries the status to answer with. */
public final class BadRequestException extends RuntimeException {
    private final int status;

    public BadRequestException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() { return status; }
}
