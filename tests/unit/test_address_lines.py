"""An address prints as its country's post writes it: town before postcode in the US, Canada,
Australia and New Zealand, the postcode on a line of its own in the UK and Ireland, and the postcode
before the town everywhere else."""
import json
import shutil
import subprocess
from dataclasses import asdict

import pytest

from chalicelib.domain.customers import Address
from tests.support.catalogues import ASSETS


@pytest.mark.parametrize("address, lines", [
    (Address("1 Market St", "Suite 5", "San Francisco", "CA", "94105", "US"),
     ("1 Market St", "Suite 5", "San Francisco, CA 94105", "US")),
    (Address("1 Globex Way", city="Cypress Creek", postal_code="90210", country="US"),
     ("1 Globex Way", "Cypress Creek 90210", "US")),
    (Address("290 Bremner Blvd", city="Toronto", state="ON", postal_code="M5V 3L9", country="CA"),
     ("290 Bremner Blvd", "Toronto ON M5V 3L9", "CA")),
    (Address("1 Macquarie St", city="Sydney", state="NSW", postal_code="2000", country="AU"),
     ("1 Macquarie St", "Sydney NSW 2000", "AU")),
    (Address("1 Harbour Street", city="Bristol", postal_code="BS1 4XX", country="GB"),
     ("1 Harbour Street", "Bristol", "BS1 4XX", "GB")),
    (Address("Hauptstraße 1", city="Berlin", postal_code="10115", country="DE"),
     ("Hauptstraße 1", "10115 Berlin", "DE")),
    (Address("ul. Piotrkowska 1", city="Łódź", postal_code="90-001", country="PL"),
     ("ul. Piotrkowska 1", "90-001 Łódź", "PL")),
    (Address("1 Rue de Rivoli", city="Paris", postal_code="75001", country="fr"),
     ("1 Rue de Rivoli", "75001 Paris", "fr")),
])
def test_the_town_and_postcode_are_written_as_the_country_s_post_writes_them(address, lines):
    assert address.lines() == lines


def test_an_empty_address_has_no_lines():
    assert Address().lines() == ()
    assert Address(country="US").lines() == ("US",)


ADDRESS_LINES = """
const { addressLines } = await import(process.argv[1] + "/address.js");
console.log(JSON.stringify(JSON.parse(process.argv[2]).map(addressLines)));
"""


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_the_browser_writes_each_address_as_the_documents_do():
    addresses = [Address(line1="1 Main St", city=city, state=state, postal_code=postal_code, country=country)
                 for country in ("US", "CA", "AU", "NZ", "GB", "IE", "DE", "fr", "")
                 for city, state, postal_code in (("Springfield", "IL", "62701"), ("Springfield", "", "62701"),
                                                  ("", "IL", "62701"), ("Springfield", "IL", ""), ("", "", ""))]
    answer = subprocess.run(["node", "--input-type=module", "-e", ADDRESS_LINES, str(ASSETS),
                             json.dumps([asdict(address) for address in addresses])],
                            capture_output=True, text=True, check=True)
    assert [tuple(lines) for lines in json.loads(answer.stdout)] == [address.lines() for address in addresses]
