"""The merchant's logo: a small PNG set through the admin API, served by the portal itself (so the
page's Content-Security-Policy, `img-src 'self'`, needs nothing more), shown on the sign-in page
and in the header, and at the top of emails (not on PDFs: fpdf2 embeds images only through Pillow,
which the Lambda package leaves out). Anything but a small PNG is refused, and
nothing is written."""
from tests.support.api import Api, client
from tests.support.documents import a_scene, an_invoice
from tests.support.logos import png, put_logo
from tests.support.portal import emails_to

PDF_HEADERS = {"Accept": "application/pdf"}


def test_a_logo_is_served_by_the_portal_and_shown_with_the_organization(aws):
    with client() as c:
        # Given Acme with a portal name and a signed-in customer
        scene = a_scene(Api(c))
        assert scene.admin.patch("/admin/organization", {"portal_name": "acme"}).status == 200

        # When Acme sets a PNG logo
        logo = png()
        answer = put_logo(scene.admin, logo)

        # Then its address is the portal's own, and anyone may load it there, as a PNG cached for good
        assert answer.status == 200, answer.json
        path = answer.json["logo_path"]
        assert path.startswith(f"/portal/auth/logos/{scene.acme.org.org_id}/")
        served = Api(c).get(path, headers={"Accept": "image/png"})
        assert served.status == 200 and served.body == logo
        assert served.headers["Content-Type"] == "image/png"
        assert "immutable" in served.headers["Cache-Control"]
        assert served.headers["X-Content-Type-Options"] == "nosniff"

        # And the sign-in page and the signed-in portal name it
        assert Api(c).get("/portal/auth/portals/acme").json["logo_path"] == path
        assert scene.zoe.portal.get("/portal/me").json["organization"]["logo_path"] == path

        # And an invoice's email shows it above Acme's name (its PDF does not: no Pillow on Lambda)
        invoice = an_invoice(scene.admin, scene.customer_id)
        pdf = scene.zoe.portal.get(f"/portal/invoices/{invoice['invoice_id']}/pdf", headers=PDF_HEADERS)
        assert pdf.status == 200 and b"/Subtype /Image" not in pdf.body
        [message] = [m for m in emails_to("zoe@globex.example") if invoice["number"] in m["Subject"]]
        assert f'<img src="http://127.0.0.1:8000{path}"' in message.get_body(("html",)).get_content()


def test_only_a_small_png_is_taken_as_a_logo_and_a_refusal_writes_nothing(aws):
    with client() as c:
        scene = a_scene(Api(c))
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

        refusals = {
            "svg": put_logo(scene.admin, svg),
            "huge": put_logo(scene.admin, png() + b"\0" * 33 * 1024),
            "tiny": put_logo(scene.admin, png(8, 8)),
            "not base64": scene.admin.put("/admin/organization/logo", {"png_base64": "%%%"}),
        }

        codes = {name: (a.status, a.json["error"]["details"]["field_codes"]["png_base64"]) for name, a in refusals.items()}
        assert codes == {"svg": (400, "logo_not_png"), "huge": (400, "logo_too_large"),
                         "tiny": (400, "logo_dimensions"), "not base64": (400, "format")}
        assert scene.admin.get("/admin/organization").json["logo_path"] == ""


def test_a_removed_or_replaced_logo_is_no_longer_served(aws):
    with client() as c:
        scene = a_scene(Api(c))
        first = put_logo(scene.admin, png()).json["logo_path"]
        second = put_logo(scene.admin, png(rgb=(200, 30, 30))).json["logo_path"]

        assert second != first
        assert Api(c).get(first).status == 404
        assert Api(c).get(second, headers={"Accept": "image/png"}).status == 200

        removed = scene.admin.delete("/admin/organization/logo")
        assert removed.status == 200 and removed.json["logo_path"] == ""
        assert Api(c).get(second).status == 404
