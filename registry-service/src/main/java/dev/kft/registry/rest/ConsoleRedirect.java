package dev.kft.registry.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Sends a browser that opens the registry's address to the console. */
@Path("/")
public class ConsoleRedirect {

  @GET
  @Operation(summary = "Redirects to the web console at /console/")
  public Response console() {
    return Response.seeOther(URI.create("/console/")).build();
  }
}
