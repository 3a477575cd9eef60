package dev.kft.registry.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;

/**
 * An error of the MLflow-compatible API, answered as MLflow answers: {@code error_code} (MLflow's
 * codes) and {@code message}, which names the field and what is wrong.
 */
public final class MlflowError extends WebApplicationException {

  private final String code;

  private MlflowError(Response.Status status, String code, String message) {
    super(message, status);
    this.code = code;
  }

  static MlflowError notFound(String message) {
    return new MlflowError(Response.Status.NOT_FOUND, "RESOURCE_DOES_NOT_EXIST", message);
  }

  static MlflowError invalid(String message) {
    return new MlflowError(Response.Status.BAD_REQUEST, "INVALID_PARAMETER_VALUE", message);
  }

  /** Answers an {@link MlflowError} in MLflow's shape rather than as problem details. */
  @Provider
  public static final class Mapper implements ExceptionMapper<MlflowError> {
    @Override
    public Response toResponse(MlflowError e) {
      return Response.status(e.getResponse().getStatus())
          .type(MediaType.APPLICATION_JSON)
          .entity(Map.of("error_code", e.code, "message", e.getMessage()))
          .build();
    }
  }
}
