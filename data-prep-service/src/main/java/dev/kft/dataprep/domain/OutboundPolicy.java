package dev.kft.dataprep.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a job may make the service fetch from (dataset URLs, the back-translation endpoint):
 * addresses on the internet, never the service's own machine, its networks, or the cloud's metadata
 * service at 169.254.169.254, unless the configuration names the host. A job's author is not the
 * operator; without this, any author could read whatever the service can reach.
 */
public final class OutboundPolicy {

  /** The internet alone. */
  public static final OutboundPolicy PUBLIC_ONLY = new OutboundPolicy(Set.of());

  private final Set<String> allowedHosts;

  /**
   * @param allowedHosts hosts (names or literal addresses) that may be fetched wherever they are
   */
  public OutboundPolicy(Collection<String> allowedHosts) {
    this.allowedHosts =
        allowedHosts.stream()
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * Lets {@code uri} be fetched, or says why not.
   *
   * @throws DataProblem naming the URL, the address its host resolved to and what kind it is
   */
  public void check(URI uri) {
    String host = uri.getHost();
    if (host == null || !Set.of("http", "https").contains(String.valueOf(uri.getScheme()))) {
      throw new DataProblem("'" + uri + "' is not an http(s) URL with a host");
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) {
      return;
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(bare);
    } catch (UnknownHostException e) {
      throw new DataProblem("'" + uri + "': the host " + bare + " cannot be resolved");
    }
    for (InetAddress address : addresses) {
      Optional<String> kind = reserved(address);
      if (kind.isPresent()) {
        throw new DataProblem(
            "'"
                + uri
                + "' is refused: "
                + bare
                + " is "
                + address.getHostAddress()
                + ", a "
                + kind.get()
                + " address; only the operator can allow it (kft.data-prep.allowed-hosts)");
      }
    }
  }

  /** What kind of address {@code a} is when it is not on the internet. */
  static Optional<String> reserved(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return Optional.of("loopback");
    }
    if (a.isLinkLocalAddress()) {
      return Optional.of("link-local (cloud metadata)");
    }
    if (a.isAnyLocalAddress()) {
      return Optional.of("unspecified");
    }
    if (a.isMulticastAddress()) {
      return Optional.of("multicast");
    }
    if (a.isSiteLocalAddress()) {
      return Optional.of("private");
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0 || first >= 240) {
        return Optional.of("reserved");
      }
      if (first == 100 && second >= 64 && second < 128) {
        return Optional.of("carrier-grade NAT");
      }
      return Optional.empty();
    }
    if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
      return Optional.of("unique local");
    }
    return embeddedIpv4(b).flatMap(OutboundPolicy::reserved);
  }

  /** The IPv4 address inside an IPv4-mapped or NAT64 IPv6 one, which reaches that IPv4 host. */
  private static Optional<InetAddress> embeddedIpv4(byte[] b) {
    boolean mapped = true;
    for (int i = 0; i < 10; i++) {
      mapped &= b[i] == 0;
    }
    mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    // 64:ff9b::/96
    boolean nat64 =
        b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
    if (!mapped && !nat64) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
