namespace NvmeLm.ApiServer.Authentication;

/// <summary>What a TokenRequest issued: who the token authenticates as, until when, and what it is bound to.</summary>
public sealed record IssuedToken(UserInfo User, DateTimeOffset Expires, IReadOnlyList<string> Audiences, IReadOnlyList<BoundObject> BoundTo);
