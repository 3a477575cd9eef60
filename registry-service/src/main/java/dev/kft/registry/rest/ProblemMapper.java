package dev.kft.registry.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/** Answers every error of the REST API as problem details. */
@Provider
public class ProblemMapper implements ExceptionMapper<Exception> {

  private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

  @Context UriInfo uri;

  @Override
  public Response toResponse(Exception e) {
    int status;
    String detail;
    if (e instanceof Problem p) {
      status = p.status().getStatusCode();
      detail = p.detail();
    } else if (e instanceof WebApplicationException w) {
      status = w.getResponse().getStatus();
      detail = w.getMessage();
    } else {
      LOG.error("request failed", e);
      status = 500;
      detail = "internal error: " + e.getClass().getSimpleName();
    }
    return response(status, detail, uri == null ? null : uri.getPath());
  }

  /** A problem-details response. */
  static Response response(int status, String detail, String path) {
    Response.StatusType type = Response.Status.fromStatusCode(status);
    String title = type == null ? "Error" : type.getReasonPhrase();
    Response.ResponseBuilder response =
        Response.status(status)
            .type(Problem.MEDIA_TYPE)
            .entity(new Problem.Body("about:blank", title, status, detail, path));
    if (status == 401) {
      response.header("WWW-Authenticate", "Bearer realm=\"kft-registry\"");
    }
    return response.build();
  }
}
