package dev.kft.tensorflow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads the protocol buffer wire format field by field: varints, fixed 32/64-bit values and
 * length-delimited bytes, enough for the few messages of a tensor bundle's index.
 */
final class ProtoReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final ByteBuffer buffer;
  private int wireType;

  ProtoReader(byte[] message) {
    this.buffer = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
  }

  boolean hasNext() {
    return buffer.hasRemaining();
  }

  /** The next field's number; its value is read with one of the other methods or skipped. */
  int field() throws BundleFormatException {
    long key = varint(buffer);
    wireType = (int) (key & 7);
    return (int) (key >>> 3);
  }

  long varint() throws BundleFormatException {
    expect(VARINT);
    return varint(buffer);
  }

  int fixed32() throws BundleFormatException {
    expect(FIXED32);
    need(4);
    return buffer.getInt();
  }

  byte[] bytes() throws BundleFormatException {
    expect(LENGTH_DELIMITED);
    long length = varint(buffer);
    need(length);
    byte[] bytes = new byte[(int) length];
    buffer.get(bytes);
    return bytes;
  }

  /** Skips the value of the field just read. */
  void skip() throws BundleFormatException {
    switch (wireType) {
      case VARINT -> varint(buffer);
      case FIXED64 -> advance(8);
      case LENGTH_DELIMITED -> advance(varint(buffer));
      case FIXED32 -> advance(4);
      default -> throw new BundleFormatException("unsupported protobuf wire type " + wireType);
    }
  }

  /** Reads a base-128 varint at the buffer's position. */
  static long varint(ByteBuffer buffer) throws BundleFormatException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!buffer.hasRemaining()) {
        throw new BundleFormatException("a varint runs past the end of its data");
      }
      byte b = buffer.get();
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new BundleFormatException("a varint is longer than 10 bytes");
  }

  private void expect(int type) throws BundleFormatException {
    if (wireType != type) {
      throw new BundleFormatException("protobuf wire type " + wireType + ", expected " + type);
    }
  }

  private void advance(long bytes) throws BundleFormatException {
    need(bytes);
    buffer.position(buffer.position() + (int) bytes);
  }

  private void need(long bytes) throws BundleFormatException {
    if (bytes < 0 || bytes > buffer.remaining()) {
      throw new BundleFormatException("a protobuf field runs past the end of its message");
    }
  }
}
