package io.redispatterns.idempotency.internal;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

/**
 * A request whose body can be read once for the fingerprint and then again by the handler. The
 * body is buffered only when {@link #body()} is called (for {@code @Idempotent} handlers);
 * otherwise reads go straight to the container.
 */
final class BufferedBodyRequest extends HttpServletRequestWrapper {

	private byte @Nullable [] body;

	BufferedBodyRequest(HttpServletRequest request) {
		super(request);
	}

	/**
	 * Reads the whole body into memory (once).
	 * @return the body
	 * @throws IOException when the body cannot be read
	 */
	byte[] body() throws IOException {
		if (this.body == null) {
			this.body = super.getInputStream().readAllBytes();
		}
		return this.body;
	}

	@Override
	public ServletInputStream getInputStream() throws IOException {
		if (this.body == null) {
			return super.getInputStream();
		}
		return new BufferedInputStream(this.body);
	}

	@Override
	public BufferedReader getReader() throws IOException {
		if (this.body == null) {
			return super.getReader();
		}
		String encoding = getCharacterEncoding();
		Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
		return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(this.body), charset));
	}

	private static final class BufferedInputStream extends ServletInputStream {

		private final ByteArrayInputStream in;

		BufferedInputStream(byte[] body) {
			this.in = new ByteArrayInputStream(body);
		}

		@Override
		public int read() {
			return this.in.read();
		}

		@Override
		public int read(byte[] b, int off, int len) {
			return this.in.read(b, off, len);
		}

		@Override
		public boolean isFinished() {
			return this.in.available() == 0;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new UnsupportedOperationException("The body was already read for the idempotency fingerprint");
		}

	}

}
