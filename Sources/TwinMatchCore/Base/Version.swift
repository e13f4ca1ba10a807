/// The version of TwinMatch.
public enum TwinMatchVersion {
    public static let string = "0.1.0"
}
