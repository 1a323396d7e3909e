package dev.replyclock.web;

/** A request that cannot be answered: its HTTP status, the parameter at fault (or null) and why. */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String parameter;

    public ApiError(int status, String parameter, String message) {
        super(message);
        this.status = status;
        this.parameter = parameter;
    }

    public static ApiError badParameter(String parameter, String message) {
        return new ApiError(400, parameter, parameter + ": " + message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, null, message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, null, message);
    }

    public int status() {
        return status;
    }

    public String parameter() {
        return parameter;
    }
}
