package dev.kft.registry.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * An error answered as RFC 7807 problem details ({@code application/problem+json}): a status, a
 * short title and a detail naming what was wrong.
 */
public final class Problem extends WebApplicationException {

  /** The body of a problem response. */
  public record Body(String type, String title, int status, String detail, String instance) {}

  public static final String MEDIA_TYPE = "application/problem+json";

  private final Response.Status status;
  private final String detail;

  public Problem(Response.Status status, String detail) {
    super(detail, status);
    this.status = status;
    this.detail = detail;
  }

  public static Problem notFound(String detail) {
    return new Problem(Response.Status.NOT_FOUND, detail);
  }

  public static Problem badRequest(String detail) {
    return new Problem(Response.Status.BAD_REQUEST, detail);
  }

  Response.Status status() {
    return status;
  }

  String detail() {
    return detail;
  }
}
