package io.redispatterns.responsecache.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the body a handler writes (status and headers go to the real response, which stays
 * uncommitted) so that it can be stored and tagged before the client sees it. A body that grows
 * past the size limit is no longer kept: what was kept is written out and the rest streams through,
 * so a large download costs no more memory than the limit.
 */
final class CapturingResponse extends HttpServletResponseWrapper {

	private final long limit;

	private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

	private boolean passingThrough;

	private boolean overflowed;

	private @Nullable ServletOutputStream stream;

	private @Nullable PrintWriter writer;

	CapturingResponse(HttpServletResponse response, long limit) {
		super(response);
		this.limit = limit;
	}

	@Override
	public ServletOutputStream getOutputStream() {
		if (this.writer != null) {
			throw new IllegalStateException("getWriter() has already been called for this response");
		}
		return stream();
	}

	@Override
	public PrintWriter getWriter() {
		if (this.writer == null) {
			if (this.stream != null) {
				throw new IllegalStateException("getOutputStream() has already been called for this response");
			}
			Charset charset = Charset.forName(getCharacterEncoding());
			this.writer = new PrintWriter(new OutputStreamWriter(stream(), charset), false);
		}
		return this.writer;
	}

	private ServletOutputStream stream() {
		if (this.stream == null) {
			this.stream = new CapturingStream();
		}
		return this.stream;
	}

	@Override
	public void flushBuffer() throws IOException {
		// a flush would commit the real response before it is stored and tagged
		if (this.writer != null) {
			this.writer.flush();
		}
		if (this.passingThrough) {
			super.flushBuffer();
		}
	}

	@Override
	public void resetBuffer() {
		if (this.passingThrough) {
			super.resetBuffer();
		}
		this.kept.reset();
	}

	@Override
	public void reset() {
		super.reset();
		this.kept.reset();
	}

	@Override
	public void setContentLength(int length) {
		if (this.passingThrough) {
			super.setContentLength(length);
		}
	}

	@Override
	public void setContentLengthLong(long length) {
		if (this.passingThrough) {
			super.setContentLengthLong(length);
		}
	}

	/** Writes what was kept and lets the rest of the body through (an async handler's, say). */
	void passThrough() throws IOException {
		if (this.writer != null) {
			this.writer.flush();
		}
		startPassingThrough();
	}

	/** Called from a write, possibly the writer's own flush: must not flush the writer again. */
	private void startPassingThrough() throws IOException {
		if (!this.passingThrough) {
			this.passingThrough = true;
			if (this.kept.size() > 0) {
				this.kept.writeTo(getResponse().getOutputStream());
				this.kept.reset();
			}
		}
	}

	/** Whether the body outgrew the limit (and was not kept). */
	boolean overflowed() {
		return this.overflowed;
	}

	/** The kept body. */
	byte[] body() {
		if (this.writer != null) {
			this.writer.flush();
		}
		return this.kept.toByteArray();
	}

	private void write(byte[] bytes, int offset, int length) throws IOException {
		if (!this.passingThrough && this.kept.size() + (long) length > this.limit) {
			this.overflowed = true;
			startPassingThrough();
		}
		if (this.passingThrough) {
			getResponse().getOutputStream().write(bytes, offset, length);
		}
		else {
			this.kept.write(bytes, offset, length);
		}
	}

	private final class CapturingStream extends ServletOutputStream {

		@Override
		public void write(int b) throws IOException {
			CapturingResponse.this.write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			CapturingResponse.this.write(bytes, offset, length);
		}

		@Override
		public void flush() throws IOException {
			if (CapturingResponse.this.passingThrough) {
				getResponse().getOutputStream().flush();
			}
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			throw new UnsupportedOperationException("Non-blocking writes are not supported by the response cache");
		}

	}

}
