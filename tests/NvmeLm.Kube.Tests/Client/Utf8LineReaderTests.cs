using System.Text;
using NvmeLm.Kube.Client;

namespace NvmeLm.Kube.Tests.Client;

public sealed class Utf8LineReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public async Task ReadLine_Should_SplitOnNewlines_WhateverSizeTheReadsReturn(int chunk)
    {
        // "é" is two bytes: with one-byte reads it arrives split, and must come out whole.
        string text = "{\"a\":1}\n\n{\"b\":\"é\"}\r\n{\"c\":3}";

        var lines = await ReadAll(Encoding.UTF8.GetBytes(text), chunk);

        Assert.Equal(["{\"a\":1}", "", "{\"b\":\"é\"}", "{\"c\":3}"], lines);
    }

    [Fact]
    public async Task ReadLine_Should_ReturnALineLongerThanItsBuffer()
    {
        string longLine = "{\"data\":\"" + new string('x', 100_000) + "\"}";
        string text = "{\"first\":true}\n" + longLine + "\n{\"last\":true}\n";

        var lines = await ReadAll(Encoding.UTF8.GetBytes(text), chunk: 7_000);

        Assert.Equal(["{\"first\":true}", longLine, "{\"last\":true}"], lines);
    }

    [Fact]
    public async Task ReadLine_Should_ReturnNull_When_TheStreamIsEmpty()
    {
        Assert.Empty(await ReadAll([], chunk: 16));
    }

    private static async Task<List<string>> ReadAll(byte[] bytes, int chunk)
    {
        using var reader = new Utf8LineReader(new TrickleStream(bytes, chunk));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lines.Add(Encoding.UTF8.GetString(line));
        }

        return lines;
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => bytes.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, chunk), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
