package dev.kft.inference.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered as problem details ({@code application/problem+json}, RFC 9457): the status and
 * a detail naming what was wrong, as the registry answers them.
 */
final class Problem extends WebApplicationException {

  static final MediaType MEDIA_TYPE = MediaType.valueOf("application/problem+json");

  Problem(Response.Status status, String detail) {
    super(detail, response(status, detail));
  }

  static Problem badRequest(String detail) {
    return new Problem(Response.Status.BAD_REQUEST, detail);
  }

  static Problem tooLarge(String detail) {
    return new Problem(Response.Status.REQUEST_ENTITY_TOO_LARGE, detail);
  }

  private static Response response(Response.Status status, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", status.getReasonPhrase());
    body.put("status", status.getStatusCode());
    body.put("detail", detail);
    return Response.status(status).type(MEDIA_TYPE).entity(body).build();
  }
}
