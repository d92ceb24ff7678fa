package dev.fastcgi.servlet;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Encodes characters straight into the response buffer, so that buffer size, commit, reset and
 * flush behave for the writer as for the output stream. Only half a surrogate pair is ever held
 * back, until its other half arrives.
 */
final class ResponseWriter extends Writer {

	private final ResponseOutput output;

	private final CharsetEncoder encoder;

	private final ByteBuffer encoded = ByteBuffer.allocate(1024);

	private char pendingHighSurrogate;

	ResponseWriter(ResponseOutput output, Charset charset) {
		this.output = output;
		this.encoder = charset.newEncoder()
			.onMalformedInput(CodingErrorAction.REPLACE)
			.onUnmappableCharacter(CodingErrorAction.REPLACE);
	}

	@Override
	public synchronized void write(char[] chars, int offset, int length) throws IOException {
		encode(CharBuffer.wrap(chars, offset, length));
	}

	@Override
	public synchronized void write(String string, int offset, int length) throws IOException {
		encode(CharBuffer.wrap(string, offset, offset + length));
	}

	@Override
	public synchronized void write(int c) throws IOException {
		encode(CharBuffer.wrap(new char[] { (char) c }));
	}

	private void encode(CharBuffer chars) throws IOException {
		CharBuffer input = chars;
		if (this.pendingHighSurrogate != 0) {
			input = CharBuffer.allocate(chars.remaining() + 1).put(this.pendingHighSurrogate).put(chars).flip();
			this.pendingHighSurrogate = 0;
		}
		while (true) {
			CoderResult result = this.encoder.encode(input, this.encoded, false);
			if (this.encoded.position() > 0) {
				this.output.write(this.encoded.array(), 0, this.encoded.position());
				this.encoded.clear();
			}
			if (result.isUnderflow()) {
				if (input.hasRemaining()) {
					this.pendingHighSurrogate = input.get();
				}
				return;
			}
		}
	}

	@Override
	public void flush() throws IOException {
		this.output.flush();
	}

	@Override
	public void close() throws IOException {
		this.output.close();
	}

}
