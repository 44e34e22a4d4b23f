namespace DropActivation.Training.Tests.Mutation;

/// <summary>How a header field is stored, which decides the absurd values the mutator writes into it.</summary>
internal enum FieldKind { LittleEndian, BigEndian, Octal, Decimal }

/// <summary>A length, count, size or type field of a valid file: <see cref="Size"/> bytes at <see cref="Offset"/>.</summary>
internal readonly record struct Field(int Offset, int Size, FieldKind Kind);
