package io.redispatterns.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Finds the client IP of a servlet request; shared by every pattern that records or keys on the
 * client address (rate limiting, sessions).
 * <p>
 * {@code Forwarded} ({@code for=}) and {@code X-Forwarded-For} are honoured only when the connection
 * comes from a trusted proxy (a configured IP address or CIDR block such as {@code 10.0.0.0/8} or
 * {@code 2001:db8::/32}); the list is then read from the right, skipping trusted proxies, and the
 * first untrusted address is the client. A malformed entry stops the walk and the connection's own
 * address is used. Without trusted proxies the result is always {@link HttpServletRequest#getRemoteAddr()}
 * (which already reflects Spring Boot's {@code server.forward-headers-strategy}, when one is set).
 * <p>
 * Only IP literals are parsed (never a DNS lookup); addresses are normalized (quotes, brackets,
 * ports and IPv6 zones stripped, canonical text form) so that one client has one address. Instances
 * are immutable and thread-safe. {@link #resolve(HttpServletRequest)} needs the Servlet API on the
 * classpath; constructing and validating do not touch it.
 */
public final class ClientAddressResolver {

	/** What a trusted-proxy entry may be, for {@link InvalidRedisPatternsPropertyException}s. */
	public static final String ALLOWED = "IP addresses or CIDR blocks such as 10.0.0.0/8 or 2001:db8::/32";

	private final List<Cidr> trusted;

	/**
	 * Creates a resolver.
	 * @param trustedProxies IP addresses or CIDR blocks of proxies whose forwarding headers are
	 * honoured; empty to always use the connection's address
	 * @throws IllegalArgumentException when an entry is not an IP address or CIDR block
	 */
	public ClientAddressResolver(List<String> trustedProxies) {
		List<Cidr> cidrs = new ArrayList<>();
		for (String proxy : trustedProxies) {
			cidrs.add(Cidr.parse(proxy));
		}
		this.trusted = List.copyOf(cidrs);
	}

	/**
	 * Creates a resolver from the value of a {@code redis-patterns.*} trusted-proxies property,
	 * failing with an exception that names the property when an entry is unusable.
	 * @param property the full property name, such as {@code redis-patterns.session.trusted-proxies}
	 * @param trustedProxies the property's value
	 * @return the resolver
	 * @throws InvalidRedisPatternsPropertyException when an entry is not an IP address or CIDR block
	 */
	public static ClientAddressResolver forProperty(String property, List<String> trustedProxies) {
		for (String cidr : trustedProxies) {
			if (validate(cidr) != null) {
				throw new InvalidRedisPatternsPropertyException(property, cidr, ALLOWED);
			}
		}
		return new ClientAddressResolver(trustedProxies);
	}

	/**
	 * Checks one trusted-proxy entry.
	 * @param cidr an IP address or CIDR block
	 * @return what is wrong, or {@code null} when usable
	 */
	public static @Nullable String validate(String cidr) {
		try {
			Cidr.parse(cidr);
			return null;
		}
		catch (IllegalArgumentException ex) {
			return ex.getMessage();
		}
	}

	/**
	 * Whether any proxy is trusted.
	 * @return {@code false} when forwarding headers are always ignored
	 */
	public boolean trustsProxies() {
		return !this.trusted.isEmpty();
	}

	/**
	 * Finds the client address of a request.
	 * @param request the request
	 * @return the normalized client IP; the raw {@link HttpServletRequest#getRemoteAddr()} when that
	 * is not an IP literal
	 */
	public String resolve(HttpServletRequest request) {
		String remote = normalize(request.getRemoteAddr());
		if (remote == null) {
			return request.getRemoteAddr();
		}
		if (this.trusted.isEmpty() || !isTrusted(remote)) {
			return remote;
		}
		List<String> chain = forwardedFor(request);
		if (chain.isEmpty()) {
			chain = headerList(request, "X-Forwarded-For");
		}
		for (int i = chain.size() - 1; i >= 0; i--) {
			String address = normalize(chain.get(i));
			if (address == null) {
				return remote;
			}
			if (!isTrusted(address)) {
				return address;
			}
		}
		return remote;
	}

	private boolean isTrusted(String address) {
		byte[] bytes = literal(address);
		if (bytes == null) {
			return false;
		}
		for (Cidr cidr : this.trusted) {
			if (cidr.contains(bytes)) {
				return true;
			}
		}
		return false;
	}

	private static List<String> forwardedFor(HttpServletRequest request) {
		List<String> result = new ArrayList<>();
		for (String element : headerList(request, "Forwarded")) {
			for (String pair : element.split(";")) {
				int eq = pair.indexOf('=');
				if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
					result.add(pair.substring(eq + 1).trim());
				}
			}
		}
		return result;
	}

	private static List<String> headerList(HttpServletRequest request, String name) {
		List<String> values = new ArrayList<>();
		Enumeration<String> headers = request.getHeaders(name);
		for (String header : (headers != null) ? Collections.list(headers) : List.<String>of()) {
			for (String part : header.split(",")) {
				if (!part.isBlank()) {
					values.add(part.trim());
				}
			}
		}
		return values;
	}

	/**
	 * Normalizes an address: strips quotes, brackets, ports and IPv6 zones and gives the canonical
	 * text form of the IP.
	 * @param raw an address as found in a header or the connection
	 * @return the normalized IP, or {@code null} when not an IP literal
	 */
	public static @Nullable String normalize(@Nullable String raw) {
		if (raw == null) {
			return null;
		}
		String value = raw.trim();
		if (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
			value = value.substring(1, value.length() - 1);
		}
		if (value.startsWith("[")) {
			int end = value.indexOf(']');
			if (end < 0) {
				return null;
			}
			value = value.substring(1, end);
		}
		else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':')) {
			value = value.substring(0, value.indexOf(':'));
		}
		int zone = value.indexOf('%');
		if (zone > 0) {
			value = value.substring(0, zone);
		}
		byte[] bytes = literal(value);
		if (bytes == null) {
			return null;
		}
		try {
			return InetAddress.getByAddress(bytes).getHostAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static byte @Nullable [] literal(String value) {
		if (value.isEmpty() || value.length() > 45) {
			return null;
		}
		boolean ipv6 = value.indexOf(':') >= 0;
		for (int i = 0; i < value.length(); i++) {
			char c = Character.toLowerCase(value.charAt(i));
			boolean ok = (c >= '0' && c <= '9') || c == '.' || (ipv6 && (c == ':' || (c >= 'a' && c <= 'f')));
			if (!ok) {
				return null;
			}
		}
		if (!ipv6 && !value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
			return null;
		}
		try {
			// a validated literal: no name resolution happens
			return InetAddress.getByName(value).getAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private record Cidr(byte[] network, int prefix) {

		static Cidr parse(String text) {
			String value = text.trim().toLowerCase(Locale.ROOT);
			int slash = value.indexOf('/');
			String address = (slash >= 0) ? value.substring(0, slash) : value;
			byte[] bytes = literal(address);
			if (bytes == null) {
				throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
			}
			int prefix = bytes.length * 8;
			if (slash >= 0) {
				try {
					prefix = Integer.parseInt(value.substring(slash + 1));
				}
				catch (NumberFormatException ex) {
					throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
				}
				if (prefix < 0 || prefix > bytes.length * 8) {
					throw new IllegalArgumentException("'" + text + "' has a prefix length out of range");
				}
			}
			return new Cidr(bytes, prefix);
		}

		boolean contains(byte[] address) {
			if (address.length != this.network.length) {
				return false;
			}
			int full = this.prefix / 8;
			for (int i = 0; i < full; i++) {
				if (address[i] != this.network[i]) {
					return false;
				}
			}
			int rest = this.prefix % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xFF << (8 - rest)) & 0xFF;
			return (address[full] & mask) == (this.network[full] & mask);
		}

	}

}
