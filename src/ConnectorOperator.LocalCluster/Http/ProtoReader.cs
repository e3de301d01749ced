using System.Text;

namespace ConnectorOperator.LocalCluster.Http;

/// <summary>Protocol buffers wire format, read field by field (varint, 64-bit, length-delimited, 32-bit).</summary>
internal sealed class ProtoReader(ReadOnlyMemory<byte> data)
{
    private int _position;

    public bool TryReadTag(out int field, out int wireType)
    {
        if (_position >= data.Length)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data.Span[_position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException("malformed varint");
    }

    public ReadOnlyMemory<byte> ReadBytes()
    {
        var length = checked((int)ReadVarint());
        var bytes = data.Slice(_position, length);
        _position += length;
        return bytes;
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadBytes().Span);

    public ProtoReader ReadMessage() => new(ReadBytes());

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                _position += 8;
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                _position += 4;
                break;
            default:
                throw new FormatException($"unsupported wire type {wireType}");
        }
    }
}
