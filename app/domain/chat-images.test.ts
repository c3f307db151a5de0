import { describe, expect, it } from "vitest";
import { chatImageFilename, sniffChatImage } from "./chat-images";

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(
    values.flatMap((value) => (typeof value === "string" ? [...value].map((c) => c.charCodeAt(0)) : [value])),
  );

describe("chat image types", () => {
  it("recognises png, jpeg, gif and webp by their first bytes", () => {
    expect(sniffChatImage(bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe("image/png");
    expect(sniffChatImage(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    expect(sniffChatImage(bytes("GIF89a", 1))).toBe("image/gif");
    expect(sniffChatImage(bytes("GIF87a"))).toBe("image/gif");
    expect(sniffChatImage(bytes("RIFF", 0, 0, 0, 0, "WEBPVP8 "))).toBe("image/webp");
  });
  it("refuses anything else, whatever it is called", () => {
    expect(sniffChatImage(bytes("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(sniffChatImage(bytes("%PDF-1.7"))).toBeNull();
    expect(sniffChatImage(bytes("RIFF", 0, 0, 0, 0, "WAVE"))).toBeNull();
    expect(sniffChatImage(bytes(0x89, "PN"))).toBeNull();
    expect(sniffChatImage(new Uint8Array())).toBeNull();
  });
  it("names the file after what it is, without folders or control characters", () => {
    expect(chatImageFilename("C:\\photos\\broken mug.PNG", "image/jpeg")).toBe("broken mug.jpg");
    expect(chatImageFilename("../../etc/passwd", "image/png")).toBe("passwd.png");
    expect(chatImageFilename('a"b\r\nc.gif', "image/gif")).toBe("abc.gif");
    expect(chatImageFilename("", "image/webp")).toBe("image.webp");
  });
});
